require "net/http"

class PricingClient
  def margins(order_id)
    uri = URI("http://pricing:8080/margins?order=#{order_id}")
    Net::HTTP.get(uri)
  end
end
